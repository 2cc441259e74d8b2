package dev.weft;

/**
 * Starts one fiber, receives one message from it, and says which loader defined the agent's
 * classes: {@code boot} when the jar's {@code Boot-Class-Path} found it, {@code class path} when
 * the jar was renamed and its classes came from the class path, as before.
 */
public final class AgentLoadingProgram {
  private AgentLoadingProgram() {}

  public static void main(String[] args) throws Exception {
    Weft.run(
        () -> {
          Channel<String> greetings = Channel.make();
          Weft.go(() -> greetings.send("hello"));
          System.out.println(greetings.receive());
        });
    Class<?> agent =
        Class.forName("dev.weft.agent.WeftTransformer", false, ClassLoader.getSystemClassLoader());
    System.out.println(agent.getClassLoader() == null ? "boot" : "class path");
  }
}
