package io.berth.worker.cli;

/** Counted nouns for people: {@code 1 host}, {@code 3 hosts}. */
public final class Words {
  private Words() {}

  public static String count(long n, String noun) {
    return n + " " + (n == 1 ? noun : noun.endsWith("s") ? noun + "es" : noun + "s");
  }
}
