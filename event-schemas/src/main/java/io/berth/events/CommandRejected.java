package io.berth.events;

/**
 * Lifecycle: a command was refused and dead-lettered; it will never be acted on.
 *
 * @param commandId   id of the refused command; null when the body was unreadable that far
 * @param commandType type of the refused command; null when the body was unreadable that far
 * @param code        a {@link RejectionCode#code()}
 * @param message     what was wrong, naming the JSON path; clipped to {@link #MAX_MESSAGE_LENGTH}
 */
public record CommandRejected(
    @Nullable String commandId,
    @Nullable String commandType,
    String code,
    String message) implements LifecycleData {

  public static final int MAX_MESSAGE_LENGTH = 2048;

  public CommandRejected {
    Checks.optionalText("commandId", commandId);
    Checks.optionalText("commandType", commandType);
    Checks.text("code", code);
    message = Checks.clip("message", message, MAX_MESSAGE_LENGTH);
  }
}
