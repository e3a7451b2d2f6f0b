package io.berth.loadtests.chaos;

import java.util.List;

/**
 * One scenario's outcome. Every count must be zero; {@code notes} carries figures worth reading (recovery times,
 * events the broker delivered twice and the ledger de-duplicated).
 *
 * @param lost commands confirmed by the broker that neither ended in a terminal event nor were dead-lettered
 * @param missingTerminal commands that should have had a terminal event and had none
 * @param duplicateTerminal commands with more than one distinct terminal event (after de-duplication by id)
 * @param duplicateContainers transcoders with more than one container
 * @param orphans containers nothing asked for, or asked-for transcoders without their container
 * @param leaks slots or claims the worker still counts for transcoders that are gone (or the reverse)
 * @param violations scenario-specific breaches (a Docker call a rejection should not have made, a secret found, a
 *     container without a limit)
 */
public record ChaosResult(String scenario, String injected, String load, long commands, long lost,
    long missingTerminal, long duplicateTerminal, long duplicateContainers, long orphans, long leaks, long violations,
    String notes, String reproduce) {

  public boolean clean() {
    return lost == 0 && missingTerminal == 0 && duplicateTerminal == 0 && duplicateContainers == 0 && orphans == 0
        && leaks == 0 && violations == 0;
  }

  public static List<String> tableHeader() {
    return List.of("| # | scenario | injected | load | commands | lost | missing terminal | duplicate terminal"
            + " | duplicate containers | orphans | leaked slots/claims | other violations | notes |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  }

  public String row() {
    return "| " + scenario + " | " + injected + " | " + load + " | " + commands + " | " + lost + " | "
        + missingTerminal + " | " + duplicateTerminal + " | " + duplicateContainers + " | " + orphans + " | " + leaks
        + " | " + violations + " | " + notes + " |";
  }
}
