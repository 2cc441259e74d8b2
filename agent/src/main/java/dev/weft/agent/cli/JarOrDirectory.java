package dev.weft.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The files of a jar or of a directory tree, by path inside it ({@code com/example/Foo.class},
 * {@code META-INF/MANIFEST.MF}), read whole into memory and written back in the same order.
 */
final class JarOrDirectory {
  private static final String MANIFEST = "META-INF/MANIFEST.MF";

  private JarOrDirectory() {}

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  /** Every file of {@code in}, a directory or a jar, in a stable order. */
  static Map<String, byte[]> read(Path in) throws InstrumentException {
    if (Files.isDirectory(in)) {
      return readDirectory(in);
    }
    if (!Files.isRegularFile(in)) {
      throw new InstrumentException(in + ": no such jar or directory");
    }
    return readJar(in);
  }

  private static Map<String, byte[]> readDirectory(Path in) throws InstrumentException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(in)) {
      List<Path> paths = walk.filter(Files::isRegularFile).sorted().toList();
      for (Path p : paths) {
        files.put(in.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"),
            Files.readAllBytes(p));
      }
    } catch (IOException | RuntimeException e) {
      throw new InstrumentException(in + ": cannot read the directory: " + e, e);
    }
    return files;
  }

  private static Map<String, byte[]> readJar(Path in) throws InstrumentException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    boolean any = false;
    try (InputStream raw = Files.newInputStream(in);
        ZipInputStream zip = new ZipInputStream(raw)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        any = true;
        if (!e.isDirectory()) {
          files.put(e.getName(), zip.readAllBytes());
        }
      }
    } catch (ZipException e) {
      throw new InstrumentException(in + ": not a readable jar (" + e.getMessage() + ")", e);
    } catch (IOException | RuntimeException e) {
      throw new InstrumentException(in + ": cannot read the jar: " + e, e);
    }
    if (!any && !isEmptyZip(in)) {
      throw new InstrumentException(in + ": not a jar (no zip entries found)");
    }
    return files;
  }

  /** An empty zip file is only its end record: 22 bytes starting with PK\5\6. */
  private static boolean isEmptyZip(Path in) {
    try {
      byte[] b = Files.readAllBytes(in);
      return b.length == 22 && b[0] == 'P' && b[1] == 'K' && b[2] == 5 && b[3] == 6;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code out} names a jar to write rather than a directory. */
  static boolean isJar(Path out) {
    String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase();
    return !Files.isDirectory(out)
        && (name.endsWith(".jar") || name.endsWith(".zip") || name.endsWith(".war"));
  }

  /**
   * Writes the files to {@code out}: a jar (through a temporary file, then moved, so that {@code
   * out} may be the input itself) or a directory, where only {@code changed} files are written
   * when {@code out} is the input directory.
   */
  static void write(Path out, Map<String, byte[]> files, boolean sameDirectory)
      throws InstrumentException {
    try {
      if (isJar(out)) {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, out.getFileName().toString(), ".tmp");
        try {
          try (OutputStream raw = Files.newOutputStream(tmp);
              ZipOutputStream zip = new ZipOutputStream(raw)) {
            byte[] manifest = files.get(MANIFEST);
            if (manifest != null) { // first, where JarInputStream looks for it
              put(zip, MANIFEST, manifest);
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
              if (!f.getKey().equals(MANIFEST)) {
                put(zip, f.getKey(), f.getValue());
              }
            }
          }
          Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(tmp);
        }
      } else {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
          Path target = out.resolve(f.getKey());
          if (sameDirectory && Files.exists(target)
              && java.util.Arrays.equals(Files.readAllBytes(target), f.getValue())) {
            continue;
          }
          Files.createDirectories(target.getParent());
          Files.write(target, f.getValue());
        }
      }
    } catch (NoSuchFileException e) {
      throw new InstrumentException(out + ": cannot write " + e.getFile(), e);
    } catch (IOException | RuntimeException e) {
      throw new InstrumentException(out + ": cannot write the output: " + e, e);
    }
  }
}
