/** The smallest program: what the JVM alone costs, and what the agent adds to it. */
public final class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
