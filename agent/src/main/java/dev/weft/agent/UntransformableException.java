package dev.weft.agent;

/** A class the agent cannot rewrite; it is then loaded unchanged, with one warning. */
final class UntransformableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UntransformableException(String message) {
    super(message);
  }
}
