/**
 * What every layer of the agent shares: its side of the frame-stack contract with the runtime
 * ({@link dev.weft.agent.core.FrameContract}, tied to {@code dev.weft.frame.FrameStack} by the
 * conformance tests) and its voice on standard error ({@link dev.weft.agent.core.AgentLog}).
 * Depends on nothing else of the agent.
 */
package dev.weft.agent.core;
