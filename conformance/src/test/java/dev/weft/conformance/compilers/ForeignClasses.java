package dev.weft.conformance.compilers;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A compiler's output loaded under the agent: every method of every class in it is named in a
 * {@code META-INF/weft/suspendables} list beside it, with the language's own function interfaces
 * that its lambdas are called through.
 */
final class ForeignClasses {
  private ForeignClasses() {}

  static ClassLoader load(Path classes, Path listDir, List<String> extraLines) throws IOException {
    Set<String> lines = new TreeSet<>(extraLines);
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        try (InputStream in = Files.newInputStream(f)) {
          new ClassReader(in.readAllBytes())
              .accept(
                  new ClassVisitor(Opcodes.ASM9) {
                    private String owner;

                    @Override
                    public void visit(int v, int a, String name, String s, String sup, String[] i) {
                      owner = name.replace('/', '.');
                    }

                    @Override
                    public MethodVisitor visitMethod(
                        int access, String name, String desc, String sig, String[] exceptions) {
                      if (!name.startsWith("<")) {
                        lines.add(owner + "#" + name);
                      }
                      return null;
                    }
                  },
                  ClassReader.SKIP_CODE);
        }
      }
    }
    Path list = listDir.resolve("META-INF/weft/suspendables");
    Files.createDirectories(list.getParent());
    Files.write(list, lines, StandardCharsets.UTF_8);
    return new URLClassLoader(
        new URL[] {classes.toUri().toURL(), listDir.toUri().toURL()},
        ForeignClasses.class.getClassLoader());
  }
}
