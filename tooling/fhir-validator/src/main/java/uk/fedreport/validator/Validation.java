package uk.fedreport.validator;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

/** One STU3 validator: base STU3 plus, optionally, a folder of NHS conformance resources. */
final class Validation {
  private final FhirValidator validator;
  private final ConformancePack pack;

  Validation(Path profilesDir) throws IOException {
    FhirContext ctx = FhirContext.forDstu3();
    List<IValidationSupport> supports = new ArrayList<>();
    DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(ctx);
    supports.add(core);
    if (profilesDir != null) {
      pack = new ConformancePack(ctx);
      pack.loadFolder(profilesDir);
      supports.add(pack);
    } else {
      pack = null;
    }
    CommonCodeSystemsTerminologyService builtIns = new CommonCodeSystemsTerminologyService(ctx);
    supports.add(builtIns);
    supports.add(new OfflineCodeSystems(ctx, builtIns));
    supports.add(new InMemoryTerminologyServerValidationSupport(ctx));
    // Profiles that ship a differential only get their snapshot on first use.
    supports.add(new SnapshotGeneratingValidationSupport(ctx));
    ValidationSupportChain chain = new ValidationSupportChain(supports);
    if (pack != null) pack.checkDependencies(chain, core, builtIns);

    FhirInstanceValidator module = new FhirInstanceValidator(chain);
    validator = ctx.newValidator().registerValidatorModule(module);
  }

  /** Null when no profiles folder was given. */
  ConformancePack pack() {
    return pack;
  }

  /** Validates one XML or JSON file (the encoding is detected from the content). */
  List<Map<String, Object>> validate(Path file) {
    List<Map<String, Object>> issues = new ArrayList<>();
    String text;
    try {
      text = readText(file);
    } catch (IOException e) {
      issues.add(issue("fatal", null, null, null, "cannot read file: " + e, null));
      return issues;
    }
    try {
      for (SingleValidationMessage m : validator.validateWithResult(text).getMessages()) {
        issues.add(issue(m.getSeverity().getCode(), m.getLocationString(), m.getLocationLine(), m.getLocationCol(),
            m.getMessage(), m.getMessageId()));
      }
    } catch (RuntimeException e) {
      // e.g. content that is neither XML nor JSON: HAPI throws before the validator can report an issue
      issues.add(issue("fatal", null, null, null, e.getClass().getSimpleName() + ": " + e.getMessage(), null));
    }
    return issues;
  }

  private static Map<String, Object> issue(String severity, String location, Integer line, Integer column,
      String message, String messageId) {
    Map<String, Object> issue = Json.object();
    issue.put("severity", severity);
    // Whole-file problems (unreadable, not XML/JSON) have no element path; HAPI reports their position as 0:0.
    issue.put("location", location == null || location.isEmpty() ? "(file)" : location);
    issue.put("line", line != null && line > 0 ? line : null);
    issue.put("column", column != null && column > 0 ? column : null);
    issue.put("message", message == null ? "" : message);
    issue.put("messageId", messageId);
    return issue;
  }

  /** UTF-8 without a byte order mark (editors on Windows add one; the parsers reject it). */
  static String readText(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
