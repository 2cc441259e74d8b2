/**
 * The agent's entry: what the JVM calls with {@code -javaagent:weft-agent.jar} ({@link
 * dev.weft.agent.WeftAgent}) and the class file transformer it installs ({@link
 * dev.weft.agent.WeftTransformer}), which decides per class whether to rewrite it, and loads a
 * class it cannot rewrite as it was, disarmed, with one warning. For the JVM, and for tools and
 * tests that transform class files without a running agent.
 *
 * <p>The layers below, each depending only on those under it: {@code rewrite} (turns suspendable
 * methods into resumable state machines), {@code hierarchy} (what the agent knows of classes and
 * which of their methods are suspendable), and {@code core} (the frame-stack contract with the
 * runtime, and the agent's voice).
 */
package dev.weft.agent;
