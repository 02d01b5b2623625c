package dev.pier.test;

import java.util.List;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives every {@code @SpringBootTest} a {@link PierTestClient} bean, as Boot's
 * {@code TestRestTemplateContextCustomizerFactory} gives a {@code TestRestTemplate}; listed in
 * {@code META-INF/spring.factories}. An application's own {@code PierTestClient} bean wins.
 */
class PierTestClientContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.findMergedAnnotation(testClass, SpringBootTest.class) != null ? new Customizer() : null;
    }

    /**
     * Registers the {@link Registrar}. Part of the test context's cache key: being a record
     * without components, every instance is equal, so it never splits the cache.
     */
    private record Customizer() implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
            if (context.getBeanFactory() instanceof BeanDefinitionRegistry registry) {
                RootBeanDefinition registrar = new RootBeanDefinition(Registrar.class, () -> new Registrar(context));
                registrar.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
                registry.registerBeanDefinition(Registrar.class.getName(), registrar);
            }
        }
    }

    /** Adds the client's definition last, once the configuration classes have added theirs, unless one of them is a client. */
    private record Registrar(ConfigurableApplicationContext context) implements BeanDefinitionRegistryPostProcessor, Ordered {

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            if (context.getBeanFactory().getBeanNamesForType(PierTestClient.class, false, false).length == 0) {
                registry.registerBeanDefinition("pierTestClient", new RootBeanDefinition(PierTestClient.class, () -> PierTestClient.from(context)));
            }
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
