package dev.weft.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The descriptor Maven reads the plugin by, as generated from the goals' annotations: the names,
 * phases and parameters that SPEC section 4 and docs/aot.md promise.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PluginDescriptorTest {
  @Test
  void theGoalsAreBoundToTheirPhasesWithTheirParameters() throws Exception {
    Element plugin;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/maven/plugin.xml")) {
      assertNotNull(in, "the generated descriptor");
      plugin = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getDocumentElement();
    }
    assertEquals("dev.weft", text(plugin, "groupId"));
    assertEquals("weft-maven-plugin", text(plugin, "artifactId"));
    assertEquals("weft", text(plugin, "goalPrefix"));
    Map<String, Element> goals = new HashMap<>();
    NodeList mojos = plugin.getElementsByTagName("mojo");
    for (int i = 0; i < mojos.getLength(); i++) {
      Element m = (Element) mojos.item(i);
      goals.put(text(m, "goal"), m);
    }
    assertEquals(2, goals.size(), goals.keySet().toString());
    check(goals.get("instrument"), "process-classes", "compile", "classesDirectory",
        "${project.build.outputDirectory}");
    check(goals.get("instrument-tests"), "process-test-classes", "test", "testClassesDirectory",
        "${project.build.testOutputDirectory}");
  }

  private static void check(Element mojo, String phase, String resolution, String dirParam, String dir) {
    assertNotNull(mojo);
    assertEquals(phase, text(mojo, "phase"));
    assertEquals(resolution, text(mojo, "requiresDependencyResolution"));
    Element config = (Element) mojo.getElementsByTagName("configuration").item(0);
    assertEquals(dir, child(config, dirParam).getAttribute("default-value"));
    assertParameter(config, "all", "${weft.all}", "false");
    assertParameter(config, "skip", "${weft.skip}", "false");
    assertParameter(config, "failOnError", "${weft.failOnError}", "true");
    NodeList params = mojo.getElementsByTagName("parameter");
    boolean suspendables = false;
    for (int i = 0; i < params.getLength(); i++) {
      Element p = (Element) params.item(i);
      if (text(p, "name").equals("suspendables")) {
        suspendables = text(p, "type").equals("java.util.List") && text(p, "editable").equals("true");
      }
    }
    assertEquals(true, suspendables, "an editable list parameter 'suspendables'");
  }

  private static void assertParameter(Element config, String name, String property, String defaultValue) {
    Element e = child(config, name);
    assertEquals(property, e.getTextContent().trim(), name);
    assertEquals(defaultValue, e.getAttribute("default-value"), name);
  }

  private static Element child(Element parent, String name) {
    Element e = (Element) parent.getElementsByTagName(name).item(0);
    assertNotNull(e, name);
    return e;
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent().trim();
  }
}
