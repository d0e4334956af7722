package uk.fedreport.validator;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.ErrorHandlerAdapter;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.dstu3.model.ElementDefinition;
import org.hl7.fhir.dstu3.model.StructureDefinition;
import org.hl7.fhir.dstu3.model.UriType;
import org.hl7.fhir.dstu3.model.ValueSet;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The NHS conformance resources of one folder (StructureDefinition, ValueSet, CodeSystem, MessageDefinition, …;
 * XML and JSON mixed, any depth). Resource types PrePopulatedValidationSupport does not index (MessageDefinition)
 * are served by canonical URL from here, so the validator can resolve them too.
 */
final class ConformancePack extends PrePopulatedValidationSupport {
  private final Map<String, IBaseResource> otherResources = new HashMap<>();
  private final List<StructureDefinition> structureDefinitions = new ArrayList<>();
  private final List<ValueSet> valueSets = new ArrayList<>();
  private final Map<String, Integer> countsByType = new TreeMap<>();
  private final List<String> warnings = new ArrayList<>();

  ConformancePack(FhirContext ctx) {
    super(ctx);
  }

  @Override
  public String getName() {
    return "fedreport NHS conformance pack";
  }

  @Override
  public <T extends IBaseResource> T fetchResource(Class<T> type, String url) {
    T found = super.fetchResource(type, url);
    if (found != null) return found;
    IBaseResource other = otherResources.get(url);
    if (other == null || (type != null && !type.isInstance(other))) return null;
    @SuppressWarnings("unchecked") // a null type asks for any resource with this url
    T typed = (T) other;
    return typed;
  }

  @Override
  public List<IBaseResource> fetchAllConformanceResources() {
    List<IBaseResource> all = new ArrayList<>(super.fetchAllConformanceResources());
    all.addAll(otherResources.values());
    return all;
  }

  Map<String, Integer> countsByType() {
    return countsByType;
  }

  /** Problems found while loading: unparseable files, parser complaints, duplicates, unresolved dependencies. */
  List<String> warnings() {
    return warnings;
  }

  /** Loads every .xml/.json file under dir, in path order; the first file wins when a canonical URL repeats. */
  void loadFolder(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).filter(ConformancePack::isFhirFile).sorted().toList();
    }
    Map<String, Path> loadedFrom = new HashMap<>();
    for (Path file : files) {
      String name = dir.relativize(file).toString();
      IBaseResource resource = parse(file, name);
      if (resource == null) continue;
      String type = getFhirContext().getResourceType(resource);
      String url = DefaultProfileValidationSupport.getConformanceResourceUrl(getFhirContext(), resource);
      if (url == null || url.isBlank()) {
        warnings.add(name + ": " + type + " has no canonical url; skipped");
        continue;
      }
      Path earlier = loadedFrom.putIfAbsent(url, file);
      if (earlier != null) {
        warnings.add(name + ": duplicate canonical url " + url + " (already loaded from "
            + dir.relativize(earlier) + "); skipped");
        continue;
      }
      switch (type) {
        case "StructureDefinition", "ValueSet", "CodeSystem", "SearchParameter" -> addResource(resource);
        default -> otherResources.put(url, resource);
      }
      if (resource instanceof StructureDefinition sd) {
        pruneResourceChildren(sd, name);
        structureDefinitions.add(sd);
      }
      if (resource instanceof ValueSet vs) valueSets.add(vs);
      countsByType.merge(type, 1, Integer::sum);
    }
  }

  /**
   * Old snapshot generators expanded the children of Resource-typed elements (ITK-Message-Bundle-1 and
   * ITK-Document-Bundle-1 list Bundle.entry.resource.id/meta/implicitRules/language). Today's validator reads
   * those as a closed list and reports every other element of every entry resource as "not allowed by the
   * profile", so any real message fails. The entry resource is validated against its own type and profiles
   * anyway, so these elements carry no constraint worth keeping; they are dropped and the repair is reported.
   */
  private void pruneResourceChildren(StructureDefinition sd, String name) {
    if (!sd.hasSnapshot()) return;
    List<String> resourceTyped = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    sd.getSnapshot().getElement().removeIf(element -> {
      String path = element.getPath();
      if (resourceTyped.stream().anyMatch(parent -> path.startsWith(parent + "."))) {
        removed.add(path);
        return true;
      }
      if (element.hasType() && element.getType().stream().allMatch(t -> "Resource".equals(t.getCode()))) {
        resourceTyped.add(path);
      }
      return false;
    });
    if (!removed.isEmpty()) {
      warnings.add(name + ": removed " + removed.size() + " snapshot elements below Resource-typed elements "
          + removed + " (an old snapshot generator's expansion that makes every embedded resource fail)");
    }
  }

  private static boolean isFhirFile(Path file) {
    String name = file.getFileName().toString().toLowerCase();
    return name.endsWith(".xml") || name.endsWith(".json");
  }

  private IBaseResource parse(Path file, String name) throws IOException {
    String text = Validation.readText(file);
    IParser parser = name.toLowerCase().endsWith(".json")
        ? getFhirContext().newJsonParser()
        : getFhirContext().newXmlParser();
    parser.setParserErrorHandler(new CollectingErrorHandler(name, warnings));
    try {
      return parser.parseResource(text);
    } catch (DataFormatException e) {
      warnings.add(name + ": not a readable FHIR STU3 resource; skipped: " + e.getMessage());
      return null;
    }
  }

  /**
   * Reports what the pack's profiles depend on but neither the pack nor base STU3 provides: base definitions,
   * type profiles (extension definitions), bound value sets and the code systems the pack's value sets draw on.
   * Reference targets (targetProfile) are left out: the pack deliberately follows them one step only.
   */
  void checkDependencies(IValidationSupport chain, IValidationSupport core, IValidationSupport builtIns) {
    Map<String, Set<String>> missing = new TreeMap<>();
    ValidationSupportContext context = new ValidationSupportContext(chain);
    Predicate<String> profileKnown = url -> chain.fetchStructureDefinition(url) != null;
    // Some value sets exist only as built-in logic (e.g. languages, MIME types), not as a resource to fetch.
    Predicate<String> valueSetKnown = url -> chain.fetchValueSet(url) != null || builtIns.isValueSetSupported(context, url);
    Predicate<String> codeSystemKnown = url -> chain.fetchCodeSystem(url) != null;
    for (StructureDefinition sd : structureDefinitions) {
      String owner = sd.getUrl();
      require(missing, "StructureDefinition", sd.getBaseDefinition(), owner, profileKnown);
      for (ElementDefinition element : elementsOf(sd)) {
        for (ElementDefinition.TypeRefComponent typeRef : element.getType()) {
          require(missing, "StructureDefinition", typeRef.getProfile(), owner, profileKnown);
        }
        String valueSet = boundValueSet(element);
        require(missing, "ValueSet", valueSet, owner,
            url -> valueSetKnown.test(url) || inheritsBinding(core, element, valueSet));
      }
    }
    for (ValueSet vs : valueSets) {
      if (!vs.hasCompose()) continue;
      for (ValueSet.ConceptSetComponent include : vs.getCompose().getInclude()) {
        require(missing, "CodeSystem", include.getSystem(), vs.getUrl(), codeSystemKnown);
        for (UriType nested : include.getValueSet()) {
          require(missing, "ValueSet", nested.getValue(), vs.getUrl(), valueSetKnown);
        }
      }
    }
    missing.forEach((what, users) -> warnings.add("unresolved " + what + " (used by " + String.join(", ", users) + ")"));
  }

  /**
   * Whether the element keeps the binding base STU3 gives it (e.g. Attachment.contentType to bcp13 MIME types):
   * such value sets are the validator's business (built-in logic), not a gap in the pack.
   */
  private static boolean inheritsBinding(IValidationSupport core, ElementDefinition element, String valueSet) {
    if (!element.hasBase()) return false;
    String basePath = element.getBase().getPath();
    String type = basePath.contains(".") ? basePath.substring(0, basePath.indexOf('.')) : basePath;
    return core.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/" + type) instanceof StructureDefinition base
        && elementsOf(base).stream()
            .anyMatch(e -> e.getPath().equals(basePath) && valueSet.equals(boundValueSet(e)));
  }

  private static List<ElementDefinition> elementsOf(StructureDefinition sd) {
    if (sd.hasSnapshot()) return sd.getSnapshot().getElement();
    return sd.hasDifferential() ? sd.getDifferential().getElement() : List.of();
  }

  /** Checks has*() first: HAPI's getters create missing children, which would change the profiles. */
  private static String boundValueSet(ElementDefinition element) {
    if (!element.hasBinding()) return null;
    ElementDefinition.ElementDefinitionBindingComponent binding = element.getBinding();
    if (binding.hasValueSetReference()) return binding.getValueSetReference().getReference();
    return binding.hasValueSetUriType() ? binding.getValueSetUriType().getValue() : null;
  }

  private static void require(Map<String, Set<String>> missing, String kind, String url, String user,
      Predicate<String> known) {
    if (url == null || url.isBlank()) return;
    String canonical = url.contains("|") ? url.substring(0, url.indexOf('|')) : url;
    if (!known.test(canonical)) {
      missing.computeIfAbsent(kind + " " + canonical, k -> new TreeSet<>()).add(lastSegment(user));
    }
  }

  private static String lastSegment(String url) {
    return url == null ? "?" : url.substring(url.lastIndexOf('/') + 1);
  }

  /** Turns the parser's complaints about a pack file into load warnings instead of log lines. */
  private static final class CollectingErrorHandler extends ErrorHandlerAdapter {
    private final String file;
    private final List<String> sink;

    CollectingErrorHandler(String file, List<String> sink) {
      this.file = file;
      this.sink = sink;
    }

    private void add(IParseLocation location, String what) {
      String where = location == null || location.getParentElementName() == null ? "" : " in " + location.getParentElementName();
      sink.add(file + ": " + what + where);
    }

    @Override
    public void unknownElement(IParseLocation location, String name) {
      add(location, "unknown element '" + name + "'");
    }

    @Override
    public void unknownAttribute(IParseLocation location, String name) {
      add(location, "unknown attribute '" + name + "'");
    }

    @Override
    public void unexpectedRepeatingElement(IParseLocation location, String name) {
      add(location, "element '" + name + "' repeats but may occur once");
    }

    @Override
    public void missingRequiredElement(IParseLocation location, String name) {
      add(location, "required element '" + name + "' is missing");
    }

    @Override
    public void invalidValue(IParseLocation location, String value, String error) {
      add(location, "invalid value '" + value + "': " + error);
    }
  }
}
