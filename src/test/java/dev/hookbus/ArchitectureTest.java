package dev.hookbus;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Every arrow between hookbus's packages points one way: {@code model} ← {@code bus} ← the capabilities
 * ({@code ingest}, {@code state}, {@code bridge}, {@code claude}, {@code store}) ← {@code node} ← {@code cluster} ←
 * the entry point; {@code config} is a leaf everyone may read.
 */
@AnalyzeClasses(packages = "dev.hookbus", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String ROOT = "dev.hookbus";

  @ArchTest
  static final ArchRule packagesFormNoCycles = slices().matching("dev.hookbus.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule modelImportsNothingOfTheProject = onlyOwnAnd("model");

  @ArchTest
  static final ArchRule busImportsOnlyTheModel = onlyOwnAnd("bus", "model");

  @ArchTest
  static final ArchRule configReadsOnlyTheModel = onlyOwnAnd("config", "model");

  @ArchTest
  static final ArchRule storeIsBytesAndSeqs = onlyOwnAnd("store", "config");

  @ArchTest
  static final ArchRule claudeIsPureMapping = onlyOwnAnd("claude", "model", "bus", "config");

  @ArchTest
  static final ArchRule tlsReadsOnlyItsConfig = onlyOwnAnd("tls", "config");

  @ArchTest
  static final ArchRule notifyListensLikeABrowser = onlyOwnAnd("notify", "config", "bus", "model");

  @ArchTest
  static final ArchRule otlpIsPureMapping = onlyOwnAnd("otlp", "model", "bus", "config");

  @ArchTest
  static final ArchRule ingestNeverReachesTheOtherVerticles = noneOf("ingest", "state", "bridge", "node", "cluster",
      "cli");

  @ArchTest
  static final ArchRule stateNeverReachesTheOtherVerticles = noneOf("state", "ingest", "bridge", "claude", "node",
      "cluster", "cli");

  @ArchTest
  static final ArchRule bridgeNeverReachesTheOtherVerticles = noneOf("bridge", "ingest", "state", "claude", "node",
      "cluster", "cli");

  @ArchTest
  static final ArchRule nodeDoesNotKnowTheCluster = noneOf("node", "cluster", "cli", "state");

  @ArchTest
  static final ArchRule nothingImportsTheEntryPoint = noClasses().that().resideOutsideOfPackage(ROOT)
      .should().dependOnClassesThat().resideInAPackage(ROOT);

  /** Classes of {@code own} may use their own package and {@code allowed}, and no other hookbus package. */
  private static ArchRule onlyOwnAnd(String own, String... allowed) {
    List<String> permitted = new ArrayList<>(List.of(allowed));
    permitted.add(own);
    DescribedPredicate<JavaClass> elsewhereInHookbus = DescribedPredicate.describe(
        "are hookbus classes outside " + permitted, c -> isHookbus(c.getPackageName())
            && permitted.stream().noneMatch(p -> within(c.getPackageName(), ROOT + "." + p)));
    return noClasses().that().resideInAPackage(pkg(own)).should().dependOnClassesThat(elsewhereInHookbus);
  }

  private static ArchRule noneOf(String own, String... forbidden) {
    String[] packages = new String[forbidden.length];
    for (int i = 0; i < forbidden.length; i++) {
      packages[i] = pkg(forbidden[i]);
    }
    return noClasses().that().resideInAPackage(pkg(own)).should().dependOnClassesThat().resideInAnyPackage(packages);
  }

  private static boolean isHookbus(String packageName) {
    return within(packageName, ROOT);
  }

  private static boolean within(String packageName, String base) {
    return packageName.equals(base) || packageName.startsWith(base + ".");
  }

  private static String pkg(String name) {
    return ROOT + "." + name + "..";
  }
}
