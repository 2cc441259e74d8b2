package dev.weft.lang3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Writes a {@code META-INF/weft/suspendables} list that names every method (constructors and
 * static initialisers aside) of every class in the given jars, so that a whole third-party suite
 * runs on a fully instrumented path. The module's build runs it before the tests, and {@code
 * bench/lang3-in-fibers.sh} from source: {@code java -cp asm.jar SuspendablesList.java out-file
 * a.jar b.jar}.
 */
public final class SuspendablesList {
  private SuspendablesList() {}

  public static void main(String[] args) throws IOException {
    Set<String> lines = new TreeSet<>();
    for (int i = 1; i < args.length; i++) {
      addMethods(Path.of(args[i]), lines);
    }
    Path out = Path.of(args[0]);
    Files.createDirectories(out.getParent());
    Files.write(out, lines, StandardCharsets.UTF_8);
    System.out.println(lines.size() + " methods listed in " + out);
  }

  private static void addMethods(Path jar, Set<String> lines) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry e : Collections.list(file.entries())) {
        String n = e.getName();
        if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class")) {
          continue;
        }
        try (InputStream in = file.getInputStream(e)) {
          new ClassReader(in.readAllBytes()).accept(new MethodNames(lines), ClassReader.SKIP_CODE);
        }
      }
    }
  }

  /** Adds {@code owner#name} for each method of the class it visits. */
  private static final class MethodNames extends ClassVisitor {
    private final Set<String> lines;
    private String owner;

    MethodNames(Set<String> lines) {
      super(Opcodes.ASM9);
      this.lines = lines;
    }

    @Override
    public void visit(int version, int access, String name, String sig, String sup, String[] ifs) {
      owner = name.replace('/', '.');
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
      if (!name.equals("<init>") && !name.equals("<clinit>")) {
        lines.add(owner + "#" + name);
      }
      return null;
    }
  }
}
