/**
 * The frame-stack contract between rewritten code and the runtime: the only classes that code the
 * agent rewrote calls.
 *
 * <p>{@link dev.weft.frame.FrameStack}'s top comment is the protocol. The package depends on
 * nothing else in Weft, so that rewritten classes link against it alone. It is exported because
 * rewritten classes in any module must reach it, not for programs to call: a program uses {@code
 * dev.weft}. {@link dev.weft.frame.UninstrumentedFrameError} and {@link
 * dev.weft.frame.FiberStackOverflowError} are the errors a program may see from it.
 */
package dev.weft.frame;
