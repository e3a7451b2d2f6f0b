package io.berth.worker.messaging;

import java.util.concurrent.CompletionStage;

/** Turns one delivery into a disposition. Must return quickly: the work itself runs elsewhere. */
@FunctionalInterface
public interface MessageHandler {
  CompletionStage<Disposition> handle(InboundMessage message);
}
