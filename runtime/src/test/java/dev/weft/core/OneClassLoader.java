package dev.weft.core;

import java.io.IOException;
import java.io.InputStream;

/**
 * Stands for an application's class loader in tests that drop one and expect it collected:
 * defines one class itself, from its parent's class file, and delegates everything else.
 */
final class OneClassLoader extends ClassLoader {
  private final String own;

  OneClassLoader(ClassLoader parent, Class<?> own) {
    super(parent);
    this.own = own.getName();
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.equals(own)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        String file = name.replace('.', '/') + ".class";
        try (InputStream in = getParent().getResourceAsStream(file)) {
          byte[] bytes = in.readAllBytes();
          c = defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
      return c;
    }
  }
}
