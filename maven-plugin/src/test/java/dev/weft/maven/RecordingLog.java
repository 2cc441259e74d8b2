package dev.weft.maven;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;

/** A build log that also keeps what the goals said at info and warning level. */
final class RecordingLog extends SystemStreamLog {
  final List<String> infos = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();

  @Override
  public void info(CharSequence content) {
    infos.add(content.toString());
    super.info(content);
  }

  @Override
  public void warn(CharSequence content) {
    warnings.add(content.toString());
    super.warn(content);
  }
}
