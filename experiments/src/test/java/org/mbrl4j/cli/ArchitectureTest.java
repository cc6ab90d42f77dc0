package org.mbrl4j.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The architecture of DESIGN.md as rules: framework imports none of envs, agents or the CLI; its packages have no
 * cycles; agents never import the CLI. Each rule also runs against deliberate violations (test classes) and must
 * report them, so a rule that cannot fail is caught too.
 */
class ArchitectureTest {
    /** The framework's packages (the framework module's jar holds exactly these). */
    private static final String[] FRAMEWORK = {"org.mbrl4j.bilevel..", "org.mbrl4j.data..", "org.mbrl4j.env..",
        "org.mbrl4j.event..", "org.mbrl4j.logging..", "org.mbrl4j.model..", "org.mbrl4j.objective..",
        "org.mbrl4j.optim..", "org.mbrl4j.planning..", "org.mbrl4j.plugin..", "org.mbrl4j.python..", "org.mbrl4j.random.."};

    private static final ArchRule FRAMEWORK_IMPORTS_NO_MODULE_ABOVE = noClasses().that().resideInAnyPackage(FRAMEWORK)
            .should().dependOnClassesThat().resideInAnyPackage("org.mbrl4j.envs..", "org.mbrl4j.agents..",
                    "org.mbrl4j.cli..", "org.mbrl4j.paper..", "org.mbrl4j.bench..");
    private static final ArchRule FRAMEWORK_PACKAGES_FREE_OF_CYCLES = slices().matching("org.mbrl4j.(*)..")
            .that(com.tngtech.archunit.base.DescribedPredicate.describe("framework packages",
                    s -> !s.getNamePart(1).equals("cli") && !s.getNamePart(1).equals("envs")
                            && !s.getNamePart(1).equals("agents") && !s.getNamePart(1).equals("bench")))
            .should().beFreeOfCycles();
    private static final ArchRule AGENTS_IMPORT_NO_CLI = noClasses().that().resideInAPackage("org.mbrl4j.agents..")
            .should().dependOnClassesThat().resideInAPackage("org.mbrl4j.cli..");

    private static JavaClasses production() {
        // test classes arrive in test-classes directories and in the framework's test-jar
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")).importPackages("org.mbrl4j");
    }

    @Test
    void theProductionCodeKeepsTheLayering() {
        JavaClasses classes = production();
        assertThat(classes.stream().filter(c -> c.getPackageName().startsWith("org.mbrl4j.agents"))).isNotEmpty();
        assertThat(classes.stream().filter(c -> c.getPackageName().startsWith("org.mbrl4j.model"))).isNotEmpty();
        FRAMEWORK_IMPORTS_NO_MODULE_ABOVE.check(classes);
        FRAMEWORK_PACKAGES_FREE_OF_CYCLES.check(classes);
        AGENTS_IMPORT_NO_CLI.check(classes);
    }

    @Test
    void everyRuleReportsADeliberateViolation() {
        JavaClasses bad = new ClassFileImporter().importClasses(org.mbrl4j.model.ModelEnvLink.violation(),
                org.mbrl4j.agents.AgentsLink.violation(), org.mbrl4j.planning.ModelEnv.class,
                org.mbrl4j.model.DynamicsModel.class, Main.class,
                org.mbrl4j.agents.Pets.class);
        assertThat(FRAMEWORK_IMPORTS_NO_MODULE_ABOVE.evaluate(bad).hasViolation()).isTrue();
        assertThat(FRAMEWORK_PACKAGES_FREE_OF_CYCLES.evaluate(bad).hasViolation()).isTrue();
        assertThat(AGENTS_IMPORT_NO_CLI.evaluate(bad).hasViolation()).isTrue();
    }
}
