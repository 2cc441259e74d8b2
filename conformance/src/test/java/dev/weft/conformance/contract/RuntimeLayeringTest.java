package dev.weft.conformance.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Weft;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.commons.ClassRemapper;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runtime's layering, read from its jar. Its module keeps the scheduler out of users' reach: it exports the API and the
 * frame-stack contract that rewritten classes call, nothing else, and needs no module beyond the
 * JDK's.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RuntimeLayeringTest {
  @Test
  void theRuntimeModuleExportsOnlyTheApiAndTheFrameContract() throws Exception {
    Path location = Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor module =
        ModuleFinder.of(location).findAll().iterator().next().descriptor();
    assertEquals("dev.weft", module.name());
    assertTrue(!module.isAutomatic(), "the runtime jar carries a module-info, not a guessed name");
    Set<String> exports = new TreeSet<>();
    for (ModuleDescriptor.Exports e : module.exports()) {
      assertTrue(!e.isQualified(), e + " is exported to everyone");
      exports.add(e.source());
    }
    // The API (with its network and byte-stream packages, SPEC 3a) and the frame contract.
    assertEquals(Set.of("dev.weft", "dev.weft.frame", "dev.weft.io", "dev.weft.net"), exports);
    assertTrue(module.packages().contains("dev.weft.core"), "the scheduler is inside the module");
    for (ModuleDescriptor.Requires r : module.requires()) {
      assertTrue(r.name().startsWith("java."), "the runtime needs only the JDK: " + r);
    }
  }

  /**
   * {@code dev.weft.frame} is a leaf: rewritten classes link against it alone, and the agent's
   * contract test can reason about it without the scheduler.
   */
  @Test
  void theFramePackageDependsOnNothingElseInWeft() throws Exception {
    Path location = Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> outside = new TreeSet<>();
    int classes = 0;
    try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
      Path root = jar == null ? location : jar.getPath("/");
      List<Path> frame;
      try (Stream<Path> files = Files.list(root.resolve("dev/weft/frame"))) {
        frame = files.filter(f -> f.toString().endsWith(".class")).collect(Collectors.toList());
      }
      for (Path file : frame) {
        classes++;
        String self = "dev/weft/frame/" + file.getFileName().toString().replace(".class", "");
        new ClassReader(Files.readAllBytes(file))
            .accept(
                new ClassRemapper(
                    // A node, not an empty visitor: the remapper only sees the members and code
                    // its delegate asks for.
                    new org.objectweb.asm.tree.ClassNode(),
                    new org.objectweb.asm.commons.Remapper() {
                      @Override
                      public String map(String internalName) {
                        if (internalName.startsWith("dev/weft/")
                            && !internalName.startsWith("dev/weft/frame/")) {
                          outside.add(self + " -> " + internalName);
                        }
                        return internalName;
                      }
                    }),
                0);
      }
    }
    assertTrue(classes >= 5, "read the frame package's classes from " + location);
    assertEquals(Set.of(), outside, "dev.weft.frame must not use the rest of Weft");
  }
}
