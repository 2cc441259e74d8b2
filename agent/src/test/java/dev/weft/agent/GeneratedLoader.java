package dev.weft.agent;

import dev.weft.agent.hierarchy.SuspendablesList;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A class loader for generated class files, as an application server's would be: it defines each
 * class through a {@link WeftTransformer} (as the JVM does under the agent) and keeps what the
 * transformer returned. It may serve the class files as resources, or, like some custom loaders,
 * serve no resources at all.
 */
class GeneratedLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private final Map<String, byte[]> classes = new ConcurrentHashMap<>();
  private final boolean servesResources;
  private final WeftTransformer transformer;
  /** Internal name to the transformer's answer: the rewritten bytes, or the original ones. */
  final Map<String, byte[]> defined = new ConcurrentHashMap<>();
  /** Hears every resource asked for, before it is served (a test can block it there). */
  volatile Consumer<String> onResource = name -> {};
  /** The URL of a {@code META-INF/weft/suspendables} list this loader serves, or null. */
  volatile URL suspendables;

  GeneratedLoader(WeftTransformer transformer, boolean servesResources) {
    super(null);
    this.transformer = transformer;
    this.servesResources = servesResources;
  }

  GeneratedLoader add(GeneratedClass c) {
    classes.put(c.name, c.bytes());
    return this;
  }

  byte[] bytes(String internalName) {
    return classes.get(internalName);
  }

  @Override
  public InputStream getResourceAsStream(String resource) {
    onResource.accept(resource);
    byte[] bytes =
        resource.endsWith(".class")
            ? classes.get(resource.substring(0, resource.length() - ".class".length()))
            : null;
    if (!servesResources || bytes == null) {
      return super.getResourceAsStream(resource);
    }
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public Enumeration<URL> getResources(String resource) throws IOException {
    onResource.accept(resource);
    URL list = suspendables;
    if (list != null && resource.equals(SuspendablesList.RESOURCE)) {
      return Collections.enumeration(Collections.singletonList(list));
    }
    return super.getResources(resource);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    String internal = name.replace('.', '/');
    byte[] bytes = classes.get(internal);
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] out = transformer.transform(this, internal, null, null, bytes);
    byte[] used = out == null ? bytes : out;
    defined.put(internal, used);
    return defineClass(name, used, 0, used.length);
  }
}
