package org.callbacks4j.internal.policy;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PathTemplate: Keras's {@code filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)}. Expected strings are what
 * CPython 3.11 printed for the same template and values (loss=0.000123, val_loss=0.123456, accuracy=0.9876,
 * x=3.14159).
 */
class PathTemplateTest {

    private final FakeLogs logs = new FakeLogs("loss", "val_loss", "accuracy", "x")
            .put("loss", 0.000123)
            .put("val_loss", 0.123456)
            .put("accuracy", 0.9876)
            .put("x", 3.14159);

    private String format(String template, int epoch, int batch) {
        PathTemplate path = PathTemplate.parse(template);
        int[] slots = path.metrics().stream().mapToInt(logs::slot).toArray();
        return path.format(epoch, batch, logs, slots);
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // template                              | epoch (0-based) | batch | expected
        "ckpt-{epoch:02d}-{val_loss:.4f}.zip     | 6  | -1 | ckpt-07-0.1235.zip",
        "{epoch:03d}                             | 6  | -1 | 007",
        "{epoch}                                 | 0  | -1 | 1",
        "b{batch:04d}-e{epoch}                   | 2  | 9  | b0010-e3",
        "{loss:e}                                | 0  | -1 | 1.230000e-04",
        "{x:>8.2f}                               | 0  | -1 | \"    3.14\"",
        "{loss:g}                                | 0  | -1 | 0.000123",
        "{val_loss}                              | 0  | -1 | 0.123456",
        "{{literal}}-{epoch}                     | 0  | -1 | {literal}-1",
        "}}{{                                    | 0  | -1 | }{",
        "{accuracy:.1%}                          | 0  | -1 | 98.8%",
        "{loss:+.2e}                             | 0  | -1 | +1.23e-04",
        "{epoch:.2f}                             | 6  | -1 | 7.00",
        "{loss:.2f}-{loss:.4f}                   | 0  | -1 | 0.00-0.0001",
        "{accuracy:^9.3f}!                       | 0  | -1 | \"  0.988  !\"",
        "{x:*<10}                                | 0  | -1 | 3.14159***",
        "runs/model.zip                          | 0  | -1 | runs/model.zip",
    })
    void formatsAsPython(String template, int epoch, int batch, String expected) {
        assertThat(format(template, epoch, batch)).isEqualTo(expected);
    }

    @Test
    void listsEachMetricOnceInOrderOfUse() {
        PathTemplate path = PathTemplate.parse("{val_loss:.2f}-{epoch}-{loss}-{val_loss:.4f}-{batch}");

        assertThat(path.metrics()).containsExactly("val_loss", "loss").inOrder();
        assertThat(path.usesEpoch()).isTrue();
        assertThat(path.usesBatch()).isTrue();
        assertThat(PathTemplate.parse("m-{epoch}.zip").usesBatch()).isFalse();
    }

    @Test
    void appendsToAReusedBuilder() {
        PathTemplate path = PathTemplate.parse("e{epoch}-{x:.1f};");
        int[] slots = {logs.slot("x")};
        StringBuilder out = new StringBuilder("> ");

        path.formatTo(out, 0, -1, logs, slots);
        path.formatTo(out, 1, -1, logs.put("x", -0.25), slots);

        assertThat(out.toString()).isEqualTo("> e1-3.1;e2--0.2;"); // -0.25 rounds half-even to -0.2
    }

    @Test
    void nanPrintsAsPython() {
        logs.put("loss", Double.NaN);

        assertThat(format("{loss:.4f}-{loss}", 0, -1)).isEqualTo("nan-nan");
    }

    @Test
    void anAbsentMetricIsAnErrorAsKerasKeyError() {
        logs.remove("val_loss");

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> format("ckpt-{val_loss:.4f}.zip", 2, -1));
        assertThat(e).hasMessageThat().isEqualTo("Failed to format checkpoint path \"ckpt-{val_loss:.4f}.zip\": "
                + "{val_loss:.4f} at index 5 has no value in epoch 3 (1-based); validation did not run in that epoch");
    }

    @Test
    void batchInAnEpochLevelSaveIsAnError() {
        assertThat(assertThrows(IllegalStateException.class, () -> format("b{batch}", 0, -1)))
                .hasMessageThat().contains("{batch} has no value in an epoch-level save");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "ckpt-{epoch                  | at index 5: '{' without a closing '}'; write '{{' for a literal brace",
        "ckpt-}.zip                   | at index 5: single '}'; write '}}' for a literal brace",
        "a{}                          | at index 1: {} is a positional field; name the value",
        "{0}                          | at index 0: {0} is a positional field",
        "{epoch:.2d}                  | in {epoch:.2d}: a precision (.2) is not allowed with an integer format",
        "{epoch:.2}                   | in {epoch:.2}: a precision (.2) is not allowed with an integer format",
        "{val_loss:d}                 | in {val_loss:d}: format type 'd' at index 10 needs an integer",
        "{val_loss:03d}               | in {val_loss:03d}: format type 'd' at index 12 needs an integer",
        "x{loss:q}                    | in {loss:q}: unknown format type 'q' at index 7",
        "{loss:.}                     | in {loss:.}: '.' at index 6 needs a precision after it",
        "{loss:#f}                    | in {loss:#f}: option '#' at index 6 is not supported",
        "{loss:,.2f}                  | in {loss:,.2f}: grouping option ',' at index 6 is not supported",
        "{loss:.2fx}                  | in {loss:.2fx}: unexpected 'x' at index 9 after the format type 'f'",
        "{loss!r}                     | at index 5: conversion '!r' in {loss!r} is not supported",
        "{loss.real}                  | at index 5: attribute or index access in {loss.real} is not supported",
        "{loss[0]}                    | at index 5: attribute or index access in {loss[0]} is not supported",
        "{loss:{w}}                   | at index 6: '{' inside {loss:{w}; nested fields are not supported",
        "{val-loss}                   | at index 4: '-' in {val-loss} cannot be part of a metric name",
        "{1x}                         | at index 1: '1' in {1x} cannot be part of a metric name",
    })
    void malformedTemplatesAreRejectedNamingTemplateAndIndex(String template, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse(template));
        assertThat(e).hasMessageThat().startsWith("checkpoint path template \"" + template + "\", ");
        assertThat(e).hasMessageThat().contains(message);
    }

    @Test
    void emptyTemplateIsRejected() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("")))
                .hasMessageThat().contains("checkpoint path template is empty");
    }

    @Test
    void metricsListIsReadOnly() {
        List<String> metrics = PathTemplate.parse("{loss}").metrics();
        assertThrows(UnsupportedOperationException.class, () -> metrics.add("x"));
    }
}
