package org.callbacks4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * An n-dimensional array stored in a file after a header: an IDX file (the MNIST family) or a NumPy {@code .npy}
 * file, either possibly gzipped. Row {@code i} is the sub-array {@code [i, ...]}, {@code width()} elements in C order.
 */
record ArrayFile(Path path, String format, boolean gzip, long dataOffset, Elements type, ByteOrder order,
        long[] shape) {

    private static final int GZIP_MAGIC = 0x1f8b;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    int rows() {
        return (int) shape[0];
    }

    /** Elements per row: the product of the dimensions after the first (1 for a vector). */
    int width() {
        long w = 1;
        for (int i = 1; i < shape.length; i++) {
            w *= shape[i];
        }
        return (int) w;
    }

    int rowBytes() {
        return width() * type.bytes;
    }

    /** "format file (rows x ..., type)" for messages and descriptions. */
    String describe() {
        return format + " " + path.toAbsolutePath() + " " + Arrays.toString(shape) + " " + type.label
                + (gzip ? " gzip" : "");
    }

    /** The data, positioned at row 0 (through gzip if the file is gzipped). */
    DataInputStream openData() throws IOException {
        DataInputStream in = new DataInputStream(open(path, gzip));
        in.skipNBytes(dataOffset);
        return in;
    }

    private static InputStream open(Path path, boolean gzip) throws IOException {
        InputStream raw = Files.newInputStream(path);
        return gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16)
                : new BufferedInputStream(raw, 1 << 16);
    }

    private static boolean gzipped(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            int a = in.read();
            int b = in.read();
            return ((a << 8) | b) == GZIP_MAGIC;
        }
    }

    /** Reads an IDX header: magic {@code 0 0 type ndims}, then {@code ndims} big-endian int32 sizes. */
    static ArrayFile idx(Path path) throws IOException {
        requireFile(path, "IDX");
        boolean gzip = gzipped(path);
        try (DataInputStream in = new DataInputStream(open(path, gzip))) {
            int magic = in.readInt();
            int typeCode = (magic >> 8) & 0xFF;
            int dims = magic & 0xFF;
            if ((magic >>> 16) != 0 || dims < 1 || dims > 8) {
                throw new BadDataException("IDX file " + path.toAbsolutePath() + " starts with 0x"
                        + String.format("%08x", magic) + ", not an IDX magic number (0x000008NN for unsigned bytes); "
                        + "pass an IDX file such as train-images-idx3-ubyte(.gz)", -1);
            }
            Elements type = switch (typeCode) {
                case 0x08 -> Elements.U8;
                case 0x09 -> Elements.I8;
                case 0x0B -> Elements.I16;
                case 0x0C -> Elements.I32;
                case 0x0D -> Elements.F32;
                case 0x0E -> Elements.F64;
                default -> throw new BadDataException("IDX file " + path.toAbsolutePath() + " has element type 0x"
                        + Integer.toHexString(typeCode) + ", which IDX does not define; pass a valid IDX file", -1);
            };
            long[] shape = new long[dims];
            for (int i = 0; i < dims; i++) {
                shape[i] = in.readInt() & 0xFFFFFFFFL;
            }
            return checked(new ArrayFile(path, "IDX", gzip, 4L + 4L * dims, type, ByteOrder.BIG_ENDIAN, shape));
        } catch (EOFException e) {
            throw new BadDataException("IDX file " + path.toAbsolutePath() + " ends inside its header; the file is "
                    + "truncated, download or write it again", -1);
        }
    }

    /** Reads a NumPy {@code .npy} header (format versions 1 to 3). */
    static ArrayFile npy(Path path) throws IOException {
        requireFile(path, "NumPy");
        boolean gzip = gzipped(path);
        String where = "NumPy file " + path.toAbsolutePath();
        try (DataInputStream in = new DataInputStream(open(path, gzip))) {
            byte[] magic = new byte[6];
            in.readFully(magic);
            if ((magic[0] & 0xFF) != 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
                throw new BadDataException(where + " does not start with \\x93NUMPY; pass a file written by "
                        + "numpy.save (an .npz archive holds several: unzip it or save each array with numpy.save)",
                        -1);
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            long headerLength;
            int prefix;
            if (major == 1) {
                headerLength = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                prefix = 10;
            } else if (major == 2 || major == 3) {
                headerLength = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
                prefix = 12;
            } else {
                throw new BadDataException(where + " has format version " + major + "; pass a file of format 1 to 3 "
                        + "(numpy.save writes these)", -1);
            }
            byte[] header = new byte[(int) headerLength];
            in.readFully(header);
            String dict = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher descr = DESCR.matcher(dict);
            Matcher fortran = FORTRAN.matcher(dict);
            Matcher shapeText = SHAPE.matcher(dict);
            if (!descr.find() || !fortran.find() || !shapeText.find()) {
                throw new BadDataException(where + " has a header without descr, fortran_order and shape: "
                        + dict.trim() + "; pass a file written by numpy.save", -1);
            }
            if (fortran.group(1).equals("True")) {
                throw new BadDataException(where + " is in Fortran order; save it in C order: "
                        + "numpy.save(path, numpy.ascontiguousarray(a))", -1);
            }
            char kind = descr.group(2).charAt(0);
            int size = Integer.parseInt(descr.group(3));
            Elements type = switch (kind + "" + size) {
                case "u1" -> Elements.U8;
                case "i1" -> Elements.I8;
                case "b1" -> Elements.U8;
                case "i2" -> Elements.I16;
                case "u2" -> Elements.U16;
                case "i4" -> Elements.I32;
                case "i8" -> Elements.I64;
                case "f4" -> Elements.F32;
                case "f8" -> Elements.F64;
                default -> throw new BadDataException(where + " holds dtype " + descr.group() + ", which is not "
                        + "supported; convert it with a.astype(numpy.float32) (or int64 for class labels)", -1);
            };
            ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            String[] parts = shapeText.group(1).split(",");
            long[] shape = Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToLong(Long::parseLong).toArray();
            if (shape.length == 0) {
                throw new BadDataException(where + " holds a scalar (shape ()); pass an array with one row per "
                        + "example", -1);
            }
            return checked(new ArrayFile(path, "NumPy", gzip, prefix + headerLength, type, order, shape));
        } catch (EOFException e) {
            throw new BadDataException(where + " ends inside its header; the file is truncated, write it again", -1);
        }
    }

    private static void requireFile(Path path, String kind) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toAbsolutePath().toString(), null,
                    "no " + kind + " file there; pass the path of an existing file");
        }
    }

    /** Checks that the data the header announces is all there (uncompressed files: the size; gzip: when read). */
    private static ArrayFile checked(ArrayFile f) throws IOException {
        long width = 1;
        for (int i = 1; i < f.shape.length; i++) {
            width *= f.shape[i];
        }
        if (f.shape[0] > Integer.MAX_VALUE || width * f.type.bytes > Integer.MAX_VALUE / 2) {
            throw new BadDataException(f.path.toAbsolutePath() + " has shape " + Arrays.toString(f.shape)
                    + ": more than 2^31 rows or rows over 1 GiB are not supported; split the file", -1);
        }
        if (!f.gzip) {
            long expected = f.dataOffset + f.shape[0] * width * f.type.bytes;
            long actual = Files.size(f.path);
            if (actual < expected) {
                throw new BadDataException(f.format + " file " + f.path.toAbsolutePath() + " has " + actual
                        + " bytes but its header announces shape " + Arrays.toString(f.shape) + " of "
                        + f.type.label + " (" + expected + " bytes); the file is truncated, write it again", -1);
            }
        }
        return f;
    }
}
