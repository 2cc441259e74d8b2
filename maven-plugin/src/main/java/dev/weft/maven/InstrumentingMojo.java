package dev.weft.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What the two goals share: their parameters, and rewriting one directory of classes in place
 * with a class path, as {@code java -jar weft-agent.jar instrument} would.
 */
abstract class InstrumentingMojo extends AbstractMojo {
  /** Treats every method of the classes as suspendable, as {@code --all} does. */
  @Parameter(property = "weft.all", defaultValue = "false")
  boolean all;

  /**
   * More suspendable methods, one a line as in a {@code META-INF/weft/suspendables} resource:
   * {@code com.example.Foo#bar}, {@code com.example.Foo#bar(Ljava/lang/String;)V}, or for every
   * method with an annotation {@code @com.example.Handler}.
   */
  @Parameter
  List<String> suspendables;

  /** Leaves the classes as the compiler wrote them. */
  @Parameter(property = "weft.skip", defaultValue = "false")
  boolean skip;

  /**
   * Whether a class that cannot be rewritten fails the build, naming it and why (the default);
   * when false, it is written disarmed, with a warning, as the agent would load it.
   */
  @Parameter(property = "weft.failOnError", defaultValue = "true")
  boolean failOnError;

  /** The directory of classes this goal rewrites. */
  abstract File classesDirectory();

  /** The class path their supertypes and suspendables lists are read from. */
  abstract List<String> classPath();

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("weft: skipped");
      return;
    }
    new ClassesInstrumentation(
            classesDirectory().toPath(), classPath(), all, suspendables, failOnError, getLog())
        .run();
  }
}
