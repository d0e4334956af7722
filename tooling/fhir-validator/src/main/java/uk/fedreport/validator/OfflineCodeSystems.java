package uk.fedreport.validator;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.BaseValidationSupport;
import org.hl7.fhir.dstu3.model.CodeSystem;
import org.hl7.fhir.dstu3.model.UriType;
import org.hl7.fhir.dstu3.model.ValueSet;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Codes from code systems whose content is not on this machine (no terminology server here): SNOMED CT, dm+d,
 * LOINC, ICD-10 … exist in base STU3 only as "content: not-present" stubs, others not at all. Without this module a
 * SNOMED code bound to an NHS value set defined by a SNOMED filter (e.g. CareConnect-ReligiousAffiliation-1,
 * required) fails with "Unable to expand ValueSet", so a valid message would be rejected for a check that was never
 * possible offline. Here such a code is accepted with a warning saying it was not checked, but only where the value
 * set draws on that code system: a SNOMED code in a value set of other codes still fails as usual.
 *
 * Placed after CommonCodeSystemsTerminologyService (UCUM, MIME types, languages … are checked there) and before
 * InMemoryTerminologyServerValidationSupport, which would otherwise answer first with the expansion error.
 */
final class OfflineCodeSystems extends BaseValidationSupport {
  private final IValidationSupport builtIns;

  OfflineCodeSystems(FhirContext ctx, IValidationSupport builtIns) {
    super(ctx);
    this.builtIns = builtIns;
  }

  @Override
  public String getName() {
    return "fedreport offline code systems";
  }

  /** Whether a code is ours to answer depends on its system, known only in validateCodeInValueSet. */
  @Override
  public boolean isValueSetSupported(ValidationSupportContext context, String valueSetUrl) {
    return true;
  }

  /**
   * Only codes checked against a value set: a bare code of an unknown system already gets the validator's own
   * "CodeSystem is unknown" warning, and SNOMED CT codes are skipped quietly.
   */
  @Override
  public CodeValidationResult validateCode(ValidationSupportContext context, ConceptValidationOptions options,
      String system, String code, String display, String valueSetUrl) {
    if (valueSetUrl == null) return null;
    IBaseResource valueSet = context.getRootValidationSupport().fetchValueSet(valueSetUrl);
    return valueSet == null ? null : validateCodeInValueSet(context, options, system, code, display, valueSet);
  }

  @Override
  public CodeValidationResult validateCodeInValueSet(ValidationSupportContext context, ConceptValidationOptions options,
      String system, String code, String display, IBaseResource valueSet) {
    if (!isOffline(context, system)) return null;
    if (!(valueSet instanceof ValueSet vs) || !drawsOn(context, vs, system, new HashSet<>())) return null;
    return notChecked(system, code, display);
  }

  private boolean isOffline(ValidationSupportContext context, String system) {
    if (system == null || system.isBlank() || builtIns.isCodeSystemSupported(context, system)) return false;
    IBaseResource codeSystem = context.getRootValidationSupport().fetchCodeSystem(system);
    return codeSystem == null
        || (codeSystem instanceof CodeSystem cs && cs.getContent() == CodeSystem.CodeSystemContentMode.NOTPRESENT);
  }

  /** Whether the value set includes codes of system, directly or through the value sets it imports. */
  private static boolean drawsOn(ValidationSupportContext context, ValueSet vs, String system, Set<String> seen) {
    if (!seen.add(vs.getUrl() == null ? "" : vs.getUrl()) || !vs.hasCompose()) return false;
    for (ValueSet.ConceptSetComponent include : vs.getCompose().getInclude()) {
      if (system.equals(include.getSystem())) return true;
      for (UriType imported : include.getValueSet()) {
        if (context.getRootValidationSupport().fetchValueSet(imported.getValue()) instanceof ValueSet nested
            && drawsOn(context, nested, system, seen)) {
          return true;
        }
      }
    }
    return false;
  }

  private static CodeValidationResult notChecked(String system, String code, String display) {
    return new CodeValidationResult()
        .setCode(code)
        .setDisplay(display)
        .setSeverity(IssueSeverity.WARNING)
        .setMessage("Code '" + code + "' from " + system + " was not checked: that code system is not available offline");
  }
}
