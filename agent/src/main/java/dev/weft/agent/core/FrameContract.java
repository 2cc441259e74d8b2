package dev.weft.agent.core;

/**
 * The agent's side of the frame-stack contract, written once: the runtime class that rewritten code
 * calls, its mode bits, and which of its own methods are suspension points.
 *
 * <p>The runtime's side is {@code dev.weft.frame.FrameStack}, whose top comment is the protocol.
 * The two are separate builds that never see each other's classes, so every value here is a copy;
 * {@code FrameContractTest} in the conformance module ties each copy, and every field and method
 * reference the rewriter emits into {@code dev.weft.frame}, to the runtime by reflection. Change
 * both sides together.
 */
public final class FrameContract {
  private FrameContract() {}

  /** The class every rewritten method calls, and nothing else in the runtime. */
  public static final String FRAME_STACK = "dev/weft/frame/FrameStack";

  public static final String FRAME_STACK_DESC = "L" + FRAME_STACK + ";";

  /**
   * The version of this contract: the shape of the code the rewrite emits and of the calls it
   * makes into {@code FrameStack}. Class files rewritten ahead of time carry it in their {@link
   * #REWRITTEN_DESC} mark, and the agent leaves alone only those that carry this very number.
   * Raise it whenever rewritten code of the old shape would no longer run correctly against the
   * runtime, or the rewrite would no longer produce the same code.
   */
  public static final int VERSION = 3;

  /**
   * The mark on every class the agent wrote: a class annotation, invisible at run time, whose
   * element {@link #REWRITTEN_VERSION} is the contract's {@link #VERSION}. No class of this name
   * exists; the JVM never resolves an invisible annotation. It lives in the constant pool, where
   * the cheap scan finds it without parsing the class.
   */
  public static final String REWRITTEN_DESC = "Ldev/weft/frame/Rewritten;";

  /** The element of the {@link #REWRITTEN_DESC} mark that holds the contract's version. */
  public static final String REWRITTEN_VERSION = "contract";

  /** The annotation put on every rewritten method, so that a stack walk can tell it was rewritten. */
  public static final String INSTRUMENTED_DESC = "Ldev/weft/frame/Instrumented;";

  /** {@code FrameStack.mode}: nothing armed. */
  public static final int NORMAL = 0;

  /** {@code FrameStack.mode} bit: the caller armed the call it is making. */
  public static final int ARMED = 1;

  /** {@code FrameStack.mode} bit: a monitor is held on the path, a suspension must block instead. */
  public static final int PINNED = 2;

  /** {@code FrameStack.mode}: the fiber is saving its frames. */
  public static final int UNWINDING = 4;

  /** {@code FrameStack.mode}: the fiber is re-entering its saved frames. */
  public static final int REWINDING = 8;

  /**
   * FrameStack's own methods that instrumented callers treat as suspendable call sites, by name and
   * descriptor. They are the suspension primitives themselves: the runtime cannot mark them
   * {@code @dev.weft.Suspendable} without its frame package depending on the API package.
   */
  private static final String[] SUSPENSION_POINTS = {
    "suspend()V", "prepareSuspend()Z", "preempted()V", "stressPoint()V",
  };

  /** Whether {@code owner.nameAndDesc} is one of the runtime's suspension primitives. */
  public static boolean isSuspensionPoint(String owner, String nameAndDesc) {
    if (!FRAME_STACK.equals(owner)) {
      return false;
    }
    for (String point : SUSPENSION_POINTS) {
      if (point.equals(nameAndDesc)) {
        return true;
      }
    }
    return false;
  }
}
