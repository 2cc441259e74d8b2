package dev.weft.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Rewrites the suspendable methods of {@code target/classes} in place after compilation, so that
 * the program runs without {@code -javaagent}:
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>dev.weft</groupId>
 *   <artifactId>weft-maven-plugin</artifactId>
 *   <version>0.1.0-SNAPSHOT</version>
 *   <executions><execution><goals><goal>instrument</goal></goals></execution></executions>
 * </plugin>
 * }</pre>
 */
@Mojo(
    name = "instrument",
    defaultPhase = LifecyclePhase.PROCESS_CLASSES,
    requiresDependencyResolution = ResolutionScope.COMPILE,
    threadSafe = true)
public final class InstrumentMojo extends InstrumentingMojo {
  /** The compiled classes, rewritten in place. */
  @Parameter(defaultValue = "${project.build.outputDirectory}", required = true, readonly = true)
  File classesDirectory;

  /** Where their supertypes are read from: the classes and the compile dependencies. */
  @Parameter(defaultValue = "${project.compileClasspathElements}", required = true, readonly = true)
  List<String> classpathElements;

  @Override
  File classesDirectory() {
    return classesDirectory;
  }

  @Override
  List<String> classPath() {
    return classpathElements;
  }
}
