package uk.fedreport.validator;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * FHIR STU3 validator process.
 *
 * <pre>java -cp CLASSPATH uk.fedreport.validator.Main [--profiles DIR]</pre>
 *
 * Reads one file path per line on stdin and answers each with one JSON line on stdout, in order, so one JVM
 * (whose start and HAPI context load take most of the time) serves any number of files; EOF ends it. The first
 * stdout line is {"type":"ready",…} once the validator is loaded; then {"type":"result","file":…,"issues":[…]}
 * per path. Logging goes to stderr.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    // Before any logger exists: HAPI's info logging would drown the warnings that matter.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    // stdout carries the protocol only: keep a private handle and send stray prints to stderr.
    PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err);

    Path profilesDir = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--profiles") && i + 1 < args.length) {
        profilesDir = Path.of(args[++i]);
      } else {
        System.err.println("usage: uk.fedreport.validator.Main [--profiles DIR] < file-list");
        System.exit(2);
      }
    }
    if (profilesDir != null && !Files.isDirectory(profilesDir)) {
      System.err.println("profiles folder not found: " + profilesDir);
      System.exit(2);
    }

    long started = System.nanoTime();
    Validation validation = new Validation(profilesDir);
    Map<String, Object> ready = Json.object();
    ready.put("type", "ready");
    ready.put("loadMs", (System.nanoTime() - started) / 1_000_000);
    if (validation.pack() != null) {
      ready.put("profilesLoaded", validation.pack().countsByType());
      ready.put("profileWarnings", validation.pack().warnings());
    }
    emit(protocol, ready);

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isEmpty()) continue;
      Map<String, Object> result = Json.object();
      result.put("type", "result");
      result.put("file", line);
      result.put("issues", validation.validate(Path.of(line)));
      emit(protocol, result);
    }
  }

  private static void emit(PrintStream protocol, Map<String, Object> message) {
    protocol.print(Json.write(message));
    protocol.print('\n');
    protocol.flush();
  }
}
