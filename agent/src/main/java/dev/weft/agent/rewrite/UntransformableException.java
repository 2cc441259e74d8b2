package dev.weft.agent.rewrite;

/** A class the agent cannot rewrite; it is then loaded unchanged, with one warning. */
public final class UntransformableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UntransformableException(String message) {
    super(message);
  }
}
