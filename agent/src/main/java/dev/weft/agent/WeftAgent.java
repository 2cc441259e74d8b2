package dev.weft.agent;

import dev.weft.agent.core.AgentLog;
import dev.weft.agent.core.BooleanProperty;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;

/**
 * The entry point of {@code -javaagent:weft-agent.jar}. Options, as agent arguments separated by
 * commas or as system properties: {@code verbose} ({@code -Dweft.agent.verbose=true}) lists every
 * class rewritten; {@code verify} ({@code -Dweft.verify=true}) also checks each rewritten class
 * with ASM's CheckClassAdapter; {@code nopreempt} ({@code -Dweft.preempt=false}) leaves loop
 * back-edges without preemption checks. Any other argument stops the JVM at start-up, naming it
 * ({@link AgentArguments}).
 */
public final class WeftAgent {
  private WeftAgent() {}

  /** Called by the JVM before {@code main} when started with {@code -javaagent}. */
  public static void premain(String args, Instrumentation inst) {
    install(args, inst, false);
  }

  /** Called when the agent is attached to a running JVM (as tests do). */
  public static void agentmain(String args, Instrumentation inst) {
    install(args, inst, true);
  }

  private static void install(String args, Instrumentation inst, boolean late) {
    String missing = asmMissing();
    if (missing != null) {
      AgentLog.error(missing);
      return;
    }
    // A bad argument or property throws here, which stops the JVM at start-up naming it.
    AgentArguments a = AgentArguments.parse(args);
    AgentLog.verbose = a.has("verbose") || BooleanProperty.read("weft.agent.verbose", false);
    boolean verify = a.has("verify") || BooleanProperty.read("weft.verify", false);
    boolean preempt = !a.has("nopreempt") && BooleanProperty.read("weft.preempt", true);
    WeftTransformer transformer = new WeftTransformer(inst, preempt, verify);
    inst.addTransformer(transformer, true);
    // Read by the runtime when a suspension meets code that was not rewritten: without this mark
    // it tells the user the agent is missing, instead of which method to annotate.
    System.setProperty("weft.agent.installed", "true");
    if (late) {
      retransformLoaded(inst);
    }
  }

  /**
   * Null when the agent can rewrite classes; otherwise what to tell the user. The agent needs the
   * ASM classes packed inside its jar: a jar without them (the module's plain jar, before the
   * shading) would fail every class it is given with {@code NoClassDefFoundError}, so nothing is
   * installed and the user is told why, once, at start-up.
   */
  static String asmMissing() {
    try {
      ClassReader.class.getName(); // resolving the class is the test
      return null;
    } catch (LinkageError e) {
      return "this weft-agent jar ("
          + where()
          + ") has no ASM classes inside it ("
          + e
          + "), so it cannot rewrite anything and is not installed: start the JVM with the"
          + " shaded agent jar, agent/target/weft-agent.jar or dev.weft:weft-agent from a"
          + " repository; a fiber will fail at its first suspension.";
    }
  }

  private static String where() {
    try {
      return String.valueOf(WeftAgent.class.getProtectionDomain().getCodeSource().getLocation());
    } catch (RuntimeException e) {
      return "location unknown";
    }
  }

  /** After a late attach, rewrites the application classes that were loaded before it. */
  private static void retransformLoaded(Instrumentation inst) {
    List<Class<?>> candidates = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (c.getClassLoader() != null
          && inst.isModifiableClass(c)
          && !WeftTransformer.isExcluded(c.getName().replace('.', '/'))) {
        candidates.add(c);
      }
    }
    for (Class<?> c : candidates) {
      try {
        inst.retransformClasses(c);
      } catch (Throwable e) {
        AgentLog.warn("cannot retransform " + c.getName() + ": " + e);
      }
    }
  }
}
