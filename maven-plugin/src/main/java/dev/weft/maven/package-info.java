/**
 * The Maven plugin {@code dev.weft:weft-maven-plugin}: goal {@code instrument} rewrites {@code
 * target/classes} at {@code process-classes}, goal {@code instrument-tests} rewrites {@code
 * target/test-classes} at {@code process-test-classes}, each exactly as the agent would at load
 * time ({@link dev.weft.agent.cli.Instrument}), so that the program and its tests run without
 * {@code -javaagent}. For users' builds; docs/aot.md tells how.
 */
package dev.weft.maven;
