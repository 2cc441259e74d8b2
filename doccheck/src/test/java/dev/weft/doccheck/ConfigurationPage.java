package dev.weft.doccheck;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings {@code docs/configuration.md} documents: the name in the first column of each of
 * its table rows, in backticks, without {@code -D} or a value ({@code `-Dweft.maxprocs=N`} documents
 * {@code weft.maxprocs}; {@code `verbose`} documents the agent argument). Other rows (logger
 * names such as {@code `dev.weft`}) are not settings.
 */
final class ConfigurationPage {
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`(?:-D)?([^`=\\s]+)[^`]*`");
  private static final Pattern SETTING = Pattern.compile("weft\\..+|GOMAXPROCS|[a-z]+");

  private ConfigurationPage() {}

  static Map<String, String> documented(Path base, Path page) {
    Map<String, String> names = new TreeMap<>();
    List<String> lines = SettingNames.lines(page);
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = ROW.matcher(lines.get(i));
      if (m.find() && SETTING.matcher(m.group(1)).matches()) {
        names.putIfAbsent(m.group(1), SettingNames.where(base, page, i));
      }
    }
    return names;
  }
}
