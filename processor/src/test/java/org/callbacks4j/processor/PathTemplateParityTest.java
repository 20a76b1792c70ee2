package org.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.callbacks4j.internal.policy.PathTemplate;
import org.callbacks4j.processor.validation.PathTemplateSyntax;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The processor's copy of the checkpoint path grammar ({@link PathTemplateSyntax}) gives the runtime's verdict
 * ({@link PathTemplate#parse}) on every template: a path the build accepts never fails when the policy is built, and
 * one it rejects would have failed there. For accepted templates, both see the same fields.
 */
class PathTemplateParityTest {

    @ParameterizedTest
    @ValueSource(strings = {
        // accepted
        "ckpt.zip",
        "ckpt-{epoch}.zip",
        "ckpt-{epoch:02d}-{val_loss:.4f}.zip",
        "ckpt-{epoch:03}-{batch:>5d}.zip",
        "{loss}{loss:e}{loss:g}{loss:%}{loss:.1%}",
        "{{literal}}-{epoch}.zip",
        "a}}b{{c",
        "{val_accuracy:+.3f}",
        "{loss: .2f}",
        "{loss:*^12.3e}",
        "{loss:0=10.2f}",
        "{epoch:_<4}",
        "{epoch:f}",
        "{epoch:.2f}",
        "{epoch:100d}",
        "{loss:.100f}",
        "{loss:007.2f}",
        "{_private1}",
        "{Gap}",
        "{epoch:-}",
        "{loss:}",
        "{loss:<}",
        "{loss:=+08.2f}",
        "{epoch:%}",
        "{batch:e}",
        "{epoch:0}",
        "{loss:00}",
        "{loss:.0}",
        "{loss:-.2f}",
        "{epoch:+d}",
        "{epoch:{{}",
        // rejected
        "{loss:>>>}",
        "{epoch:d }",
        "{ epoch}",
        "{epoch :d}",
        "ckpt-{epoch.zip",
        "ckpt-}.zip",
        "{",
        "}",
        "{}",
        "{0}",
        "{12}",
        "{1x}",
        "{epoch!r}",
        "{epoch!s:02d}",
        "{loss.real}",
        "{loss[0]}",
        "{val-loss}",
        "{val loss}",
        "{loss:{w}}",
        "{loss:.2d}",
        "{loss:d}",
        "{epoch:.2}",
        "{epoch:.2d}",
        "{loss:,}",
        "{loss:_.2f}",
        "{loss:#x}",
        "{loss:z.2f}",
        "{loss:.f}",
        "{loss:.}",
        "{loss:x}",
        "{loss:E}",
        "{loss:n}",
        "{loss:s}",
        "{loss:.2fx}",
        "{epoch:101d}",
        "{epoch:0101d}",
        "{loss:.101f}",
        "{loss:.1000f}",
        "{loss:{<5}",
        "{loss:}<5}",
        "{epoch:02d",
        "ok{epoch}}",
    })
    void processorAndRuntimeGiveTheSameVerdict(String template) {
        PathTemplateSyntax.Parsed processor = PathTemplateSyntax.parse(template);
        PathTemplate runtime;
        try {
            runtime = PathTemplate.parse(template);
        } catch (IllegalArgumentException e) {
            assertWithMessage("runtime rejects \"%s\" (%s), the processor accepted it", template, e.getMessage())
                    .that(processor.isValid())
                    .isFalse();
            return;
        }
        assertWithMessage("runtime accepts \"%s\", the processor said %s", template, processor.error())
                .that(processor.isValid())
                .isTrue();
        List<String> names = processor.fields().stream().map(PathTemplateSyntax.Field::name).toList();
        assertThat(names.contains("epoch")).isEqualTo(runtime.usesEpoch());
        assertThat(names.contains("batch")).isEqualTo(runtime.usesBatch());
        Set<String> metrics = new LinkedHashSet<>(names);
        metrics.remove("epoch");
        metrics.remove("batch");
        assertThat(new ArrayList<>(metrics)).containsExactlyElementsIn(runtime.metrics()).inOrder();
    }
}
