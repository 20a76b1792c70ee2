package org.callbacks4j.internal.policy;

import java.util.ArrayList;
import java.util.List;

/** Records policy messages as {@code LEVEL message}. */
final class RecordingLog implements PolicyLog {

    final List<String> lines = new ArrayList<>();
    boolean debugEnabled = true;

    @Override
    public boolean isDebugEnabled() {
        return debugEnabled;
    }

    @Override
    public void debug(String message) {
        lines.add("DEBUG " + message);
    }

    @Override
    public void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
    }

    List<String> at(String level) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(level + " ")) {
                out.add(line.substring(level.length() + 1));
            }
        }
        return out;
    }
}
