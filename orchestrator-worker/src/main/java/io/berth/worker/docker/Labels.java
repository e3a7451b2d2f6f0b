package io.berth.worker.docker;

/** Label names Berth puts on what it creates. Docker holds the truth; these make it readable after a restart. */
public final class Labels {
  private Labels() {}

  public static final String MANAGED = "io.berth.managed";
  public static final String HOST = "io.berth.host";
  public static final String TENANT = "io.berth.tenant";
  public static final String TRANSCODER = "io.berth.transcoder";
  public static final String ROOM = "io.berth.room";
  public static final String IP = "io.berth.ip";
  public static final String NETWORK = "io.berth.network";
  public static final String SPEC_HASH = "io.berth.spec-hash";
  public static final String REQUEST = "io.berth.request";
  /**
   * The CloudEvents time of that request (ISO-8601): a release or room close recorded after it means any stop of the
   * container was Berth's own, whichever worker made it.
   */
  public static final String REQUESTED_AT = "io.berth.requested-at";
}
