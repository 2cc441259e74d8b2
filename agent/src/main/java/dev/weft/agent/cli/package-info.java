/**
 * Ahead-of-time instrumentation: {@code java -jar weft-agent.jar instrument [--all] [--cp
 * CLASSPATH] IN OUT} ({@link dev.weft.agent.cli.Command}) and the same for build tools without
 * a process exit ({@link dev.weft.agent.cli.Instrument}). It rewrites the classes of a jar or a
 * directory exactly as the agent's transformer would at load time, and marks them, so that the
 * agent leaves them alone and a program rewritten this way runs without {@code -javaagent}. For
 * users and build plugins; the layer above {@code dev.weft.agent}.
 */
package dev.weft.agent.cli;
