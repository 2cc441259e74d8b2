/**
 * The rewrite: turns each suspendable method of one class into a resumable state machine that
 * saves its live locals and operand stack to the fiber's frame stack and restores them on
 * re-entry ({@link dev.weft.agent.rewrite.ClassRewriter}, {@link
 * dev.weft.agent.rewrite.MethodRewriter}), with the analyses it needs (liveness, monitor depth,
 * code size, verification against the loader's hierarchy) and the fallback that only disarms a
 * class it cannot rewrite ({@link dev.weft.agent.rewrite.DisarmingRewriter}). For the
 * transformer and for ahead-of-time instrumentation; it is told which methods are suspendable by
 * {@code dev.weft.agent.hierarchy} and knows nothing of class loading or of the runtime beyond
 * the contract in {@code dev.weft.agent.core}.
 */
package dev.weft.agent.rewrite;
