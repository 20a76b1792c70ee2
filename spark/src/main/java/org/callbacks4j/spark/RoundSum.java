package org.callbacks4j.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The row-weighted average of the partitions' parameters and optimizer states, as an aggregate value whose
 * result does not depend on the order in which Spark combines partial results.
 *
 * <p>Spark combines partial aggregates in whatever order tasks finish, and floating-point addition is not associative,
 * so a plain running sum would differ in the last bits from run to run, and a retried task or a resumed run would not
 * reproduce the same model. Here the sums follow one fixed binary tree over partition indices: a node is the sum of its
 * two children (left + right, always in that order), formed as soon as both are present, wherever that happens (on an
 * executor in an intermediate level, or on the driver). Every order of combination yields the same tree and so the
 * same bits. With one partition the average is that partition's values exactly: {@code (double) f * rows / rows == f}.
 *
 * <p>The per-example losses and metrics are not summed but kept per partition (they are small: one float per example
 * and metric) and concatenated in partition order on the driver.
 */
final class RoundSum implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int partitions;
    /** Nodes of the tree not yet combined, by {@code level << 32 | index}. */
    private final TreeMap<Long, Node> nodes = new TreeMap<>();
    private final TreeMap<Integer, Part> examples = new TreeMap<>();
    private int maxSteps;

    RoundSum(int partitions) {
        this.partitions = partitions;
    }

    /** Adds one partition's result (a leaf of the tree). */
    RoundSum add(Part part) {
        Node leaf = new Node();
        if (part.rows > 0 && part.params != null) {
            // Kept as the partition's floats (4 bytes a value on the wire); weighted in double when combined.
            leaf.weight = part.rows;
            leaf.leafParams = part.params;
            leaf.leafState = part.state;
        }
        nodes.put(key(0, part.partition), leaf);
        // The per-example values only: the parameters travel once, in the leaf.
        examples.put(part.partition, new Part(part.partition, part.rows, part.steps, null, null, part.loss,
                part.metrics));
        maxSteps = Math.max(maxSteps, part.steps);
        settle();
        return this;
    }

    /** Adds another partial aggregate of the same round. */
    RoundSum merge(RoundSum other) {
        nodes.putAll(other.nodes);
        examples.putAll(other.examples);
        maxSteps = Math.max(maxSteps, other.maxSteps);
        settle();
        return this;
    }

    /** The most optimizer steps any partition took in this round. */
    int maxSteps() {
        return maxSteps;
    }

    /** The rows all partitions ran in this round. */
    long rows() {
        long rows = 0;
        for (Part p : examples.values()) {
            rows += p.rows;
        }
        return rows;
    }

    /** The partitions' results in partition order (for their per-example values). */
    Iterable<Part> parts() {
        return examples.values();
    }

    /** The averaged parameters, or null if no partition ran a row. */
    float[] params() {
        Node root = root();
        return root.weight == 0 ? null : root.leafParams != null ? root.leafParams.clone()
                : average(root.params, root.weight);
    }

    /** The averaged optimizer state, or null if no partition ran a row. */
    float[] state() {
        Node root = root();
        return root.weight == 0 ? null : root.leafState != null ? root.leafState.clone()
                : average(root.state, root.weight);
    }

    private Node root() {
        if (examples.size() != partitions || nodes.size() != 1) {
            throw new IllegalStateException("round incomplete: " + examples.size() + " of " + partitions
                    + " partitions reported, " + nodes.size() + " partial sums");
        }
        return nodes.firstEntry().getValue();
    }

    /** Combines every pair of siblings present, and lifts every node whose sibling cannot exist, until none is left. */
    private void settle() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<Long, Node> e : nodes.entrySet()) {
                int level = (int) (e.getKey() >>> 32);
                int index = (int) (long) e.getKey();
                if ((1L << level) >= partitions) {
                    continue; // the root: it covers every partition
                }
                int sibling = index ^ 1;
                long parent = key(level + 1, index >> 1);
                if (((long) sibling << level) >= partitions) {
                    // No partition falls under the sibling: this node is its parent's only child.
                    nodes.remove(e.getKey());
                    nodes.put(parent, e.getValue());
                    changed = true;
                    break;
                }
                Node other = nodes.get(key(level, sibling));
                if (other != null) {
                    Node left = (index & 1) == 0 ? e.getValue() : other;
                    Node right = (index & 1) == 0 ? other : e.getValue();
                    nodes.remove(key(level, index));
                    nodes.remove(key(level, sibling));
                    nodes.put(parent, Node.sum(left, right));
                    changed = true;
                    break;
                }
            }
        }
    }

    private static long key(int level, int index) {
        return ((long) level << 32) | (index & 0xFFFFFFFFL);
    }

    private static float[] average(double[] sums, long weight) {
        float[] out = new float[sums.length];
        double w = weight;
        for (int i = 0; i < sums.length; i++) {
            out[i] = (float) (sums[i] / w);
        }
        return out;
    }

    /**
     * A partial sum: a leaf holds one partition's floats and its rows (the weight); an inner node the weighted sums in
     * double. With 24 mantissa bits times a weight below 2^29, each weighted value is exact in double.
     */
    private static final class Node implements Serializable {

        private static final long serialVersionUID = 1L;

        long weight;
        float[] leafParams;
        float[] leafState;
        double[] params;
        double[] state;

        static Node sum(Node left, Node right) {
            if (right.weight == 0) {
                return left;
            }
            if (left.weight == 0) {
                return right;
            }
            Node n = new Node();
            n.weight = left.weight + right.weight;
            n.params = add(left, left.leafParams, left.params, right, right.leafParams, right.params);
            n.state = add(left, left.leafState, left.state, right, right.leafState, right.state);
            return n;
        }

        private static double[] add(Node a, float[] aLeaf, double[] aSum, Node b, float[] bLeaf, double[] bSum) {
            int n = aLeaf != null ? aLeaf.length : aSum.length;
            double[] out = new double[n];
            double wa = a.weight;
            double wb = b.weight;
            for (int i = 0; i < n; i++) {
                double x = aLeaf != null ? aLeaf[i] * wa : aSum[i];
                double y = bLeaf != null ? bLeaf[i] * wb : bSum[i];
                out[i] = x + y;
            }
            return out;
        }
    }
}
