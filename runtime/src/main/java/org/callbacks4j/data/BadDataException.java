package org.callbacks4j.data;

/**
 * A row of a data source that cannot be trained on: the message names the source (file), the row and the fix. Thrown
 * by the check the trainer runs over every row before training, so no training has happened when it is thrown.
 */
public final class BadDataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final long row;

    public BadDataException(String message, long row) {
        super(message);
        this.row = row;
    }

    /** The 0-based row at fault, or -1 if the fault is not one row's (a header, a width). */
    public long row() {
        return row;
    }
}
