package org.callbacks4j.spark;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The average of a round does not depend on the order in which Spark combines the partitions' results. */
class RoundSumTest {

    private static Part part(int partition, int rows, Random random) {
        float[] params = new float[50];
        float[] state = new float[100];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) random.nextGaussian() * (float) Math.pow(10, random.nextInt(8) - 4);
        }
        for (int i = 0; i < state.length; i++) {
            state[i] = (float) random.nextGaussian() * (float) Math.pow(10, random.nextInt(8) - 6);
        }
        return new Part(partition, rows, 1, rows == 0 ? null : params, rows == 0 ? null : state, new float[rows],
                new float[0][rows]);
    }

    @Test
    void everyOrderOfCombiningGivesTheSameBits() {
        for (int partitions : new int[] {1, 2, 3, 5, 8, 13}) {
            Random random = new Random(partitions);
            List<Part> parts = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                parts.add(part(p, p == 2 ? 0 : 10 + random.nextInt(40), random));
            }
            RoundSum reference = new RoundSum(partitions);
            parts.forEach(reference::add);
            for (int trial = 0; trial < 20; trial++) {
                List<Part> shuffled = new ArrayList<>(parts);
                Collections.shuffle(shuffled, new Random(trial));
                // Partial aggregates of random groups, merged in random order, as treeAggregate does.
                List<RoundSum> partials = new ArrayList<>();
                for (Part p : shuffled) {
                    if (partials.isEmpty() || random.nextBoolean()) {
                        partials.add(new RoundSum(partitions));
                    }
                    partials.get(partials.size() - 1).add(p);
                }
                Collections.shuffle(partials, new Random(trial + 100));
                RoundSum merged = new RoundSum(partitions);
                for (RoundSum s : partials) {
                    merged.merge(s);
                }
                assertThat(merged.params()).isEqualTo(reference.params());
                assertThat(merged.state()).isEqualTo(reference.state());
            }
        }
    }

    @Test
    void onePartitionAveragesToItsOwnValuesExactly() {
        Part only = part(0, 37, new Random(1));
        RoundSum sum = new RoundSum(1).add(only);
        assertThat(sum.params()).isEqualTo(only.params);
        assertThat(sum.state()).isEqualTo(only.state);
    }

    @Test
    void theAverageIsWeightedByRows() {
        float[] a = {1f, 10f};
        float[] b = {4f, 40f};
        RoundSum sum = new RoundSum(2)
                .add(new Part(0, 1, 1, a, a, new float[1], new float[0][1]))
                .add(new Part(1, 2, 1, b, b, new float[2], new float[0][2]));
        assertThat(sum.params()).isEqualTo(new float[] {3f, 30f});
        assertThat(sum.rows()).isEqualTo(3);
    }
}
