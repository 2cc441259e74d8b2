package dev.weft.frame;

/**
 * Thrown when a fiber's saved stack would grow past its limit ({@code -Dweft.stack.limit}, 1 GB by
 * default), in place of an {@code OutOfMemoryError} somewhere else.
 */
public class FiberStackOverflowError extends VirtualMachineError {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a message that says how to raise the limit. */
  public FiberStackOverflowError(String message) {
    super(message);
  }
}
