package dev.weft.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Rewrites the suspendable methods of {@code target/test-classes} in place, with the test class
 * path, so that tests that start fibers run without {@code -javaagent}:
 *
 * <pre>{@code
 * <execution><goals><goal>instrument</goal><goal>instrument-tests</goal></goals></execution>
 * }</pre>
 */
@Mojo(
    name = "instrument-tests",
    defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES,
    requiresDependencyResolution = ResolutionScope.TEST,
    threadSafe = true)
public final class InstrumentTestsMojo extends InstrumentingMojo {
  /** The compiled test classes, rewritten in place. */
  @Parameter(
      defaultValue = "${project.build.testOutputDirectory}",
      required = true,
      readonly = true)
  File testClassesDirectory;

  /**
   * Where their supertypes are read from: the test classes, the classes and the test
   * dependencies.
   */
  @Parameter(defaultValue = "${project.testClasspathElements}", required = true, readonly = true)
  List<String> testClasspathElements;

  @Override
  File classesDirectory() {
    return testClassesDirectory;
  }

  @Override
  List<String> classPath() {
    return testClasspathElements;
  }
}
