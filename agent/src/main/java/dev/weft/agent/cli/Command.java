package dev.weft.agent.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent jar's command line, {@code java -jar weft-agent.jar instrument [--all] [--cp
 * CLASSPATH] IN OUT} (SPEC section 4). Exits 0 when every class went well, 1 when any class could
 * not be rewritten (it is written disarmed), 2 on a usage error or an unreadable or corrupt input.
 */
public final class Command {
  static final String USAGE =
      "usage: java -jar weft-agent.jar instrument [--all] [--cp CLASSPATH] IN OUT\n"
          + "  rewrites the suspendable methods of the classes in IN (a jar or a directory) into"
          + " OUT\n"
          + "  (a jar if its name ends in .jar, else a directory; OUT may be IN), copying every"
          + " other file\n"
          + "  --all           treat every method of IN as suspendable\n"
          + "  --cp CLASSPATH  where the supertypes of IN's classes are read from (weft-runtime and"
          + " the\n"
          + "                  other dependencies)\n"
          + "  exit status: 0 all rewritten, 1 some class could not be (written disarmed), 2 usage"
          + " or input error";

  private Command() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line and returns its exit status instead of exiting. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || !args[0].equals("instrument")) {
      err.println(args.length == 0 ? USAGE : "unknown command '" + args[0] + "'\n" + USAGE);
      return 2;
    }
    boolean all = false;
    List<Path> classPath = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--all")) {
        all = true;
      } else if (a.equals("--cp") || a.equals("--class-path") || a.equals("-cp")) {
        if (i + 1 == args.length) {
          err.println(a + " needs a class path\n" + USAGE);
          return 2;
        }
        classPath.addAll(Instrument.parseClassPath(args[++i]));
      } else if (a.startsWith("-") && a.length() > 1) {
        err.println("unknown option '" + a + "'\n" + USAGE);
        return 2;
      } else {
        paths.add(a);
      }
    }
    if (paths.size() != 2) {
      err.println("expected IN and OUT, got " + paths.size() + " path(s)\n" + USAGE);
      return 2;
    }
    try {
      Instrument.Result r =
          new Instrument(Path.of(paths.get(0)), Path.of(paths.get(1)))
              .all(all)
              .classPath(classPath)
              .log(err)
              .run();
      out.println(r.summary());
      return r.exitCode();
    } catch (InstrumentException e) {
      err.println("weft instrument: " + e.getMessage());
      return 2;
    }
  }
}
