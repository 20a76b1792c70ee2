package org.callbacks4j.benchmarks.e2e;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path dir;

    private void write(String name, boolean gzip, int magic, int[] dims, byte[] data) throws IOException {
        OutputStream raw = Files.newOutputStream(dir.resolve(name + (gzip ? ".gz" : "")));
        try (DataOutputStream out = new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }

    private void writeSet(String prefix, boolean gzip, int n) throws IOException {
        byte[] pixels = new byte[n * FashionMnist.PIXELS];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            pixels[i * FashionMnist.PIXELS] = (byte) 255;
            pixels[i * FashionMnist.PIXELS + 1] = (byte) (51 * i);
            labels[i] = (byte) (9 - i);
        }
        write(prefix + "-images-idx3-ubyte", gzip, 2051, new int[] {n, 28, 28}, pixels);
        write(prefix + "-labels-idx1-ubyte", gzip, 2049, new int[] {n}, labels);
    }

    @Test
    void readsGzippedAndPlainIdxFiles() throws IOException {
        writeSet("train", true, 3);
        writeSet("t10k", false, 2);
        assertThat(FashionMnist.available(dir)).isTrue();

        FashionMnist.Split train = FashionMnist.train(dir);
        assertThat(train.rows()).isEqualTo(3);
        assertThat(train.classes()).asList().containsExactly(9, 8, 7).inOrder();
        assertThat(train.pixels()[0]).isEqualTo(1f);
        assertThat(train.pixels()[FashionMnist.PIXELS + 1]).isEqualTo(51 / 255f);
        assertThat(train.oneHot()[9]).isEqualTo(1f);
        assertThat(train.head(2).rows()).isEqualTo(2);
        assertThat(FashionMnist.test(dir).rows()).isEqualTo(2);
    }

    @Test
    void missingFilesAreNotAvailableAndSayHowToGetThem() {
        assertThat(FashionMnist.available(dir)).isFalse();
        IOException e = assertThrows(IOException.class, () -> FashionMnist.train(dir));
        assertThat(e).hasMessageThat().contains("apt-get install dataset-fashion-mnist");
    }

    @Test
    void wrongMagicIsRejected() throws IOException {
        writeSet("train", false, 1);
        write("train-labels-idx1-ubyte", false, 2051, new int[] {1}, new byte[1]);
        IOException e = assertThrows(IOException.class, () -> FashionMnist.train(dir));
        assertThat(e).hasMessageThat().contains("magic 2051, not 2049");
    }
}
