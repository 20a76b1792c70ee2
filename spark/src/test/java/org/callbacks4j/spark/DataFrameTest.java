package org.callbacks4j.spark;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** A DataFrame of feature arrays and class indices becomes examples with one-hot labels. */
class DataFrameTest {

    @Test
    void featureArraysAndClassIndicesBecomeExamples() {
        SparkSession spark = SparkSession.builder().sparkContext(LocalSpark.context().sc()).getOrCreate();
        StructType schema = new StructType()
                .add("pixels", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("digit", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create(List.of(0.0, 0.5, 1.0), 2));
        rows.add(RowFactory.create(List.of(1.0, 0.25, 0.0), 0));
        var df = spark.createDataFrame(rows, schema);

        List<Example> examples = SparkData.fromDataFrame(df, "pixels", "digit", 3).collect();

        assertThat(examples).hasSize(2);
        assertThat(examples.get(0).features()).isEqualTo(new float[] {0f, 0.5f, 1f});
        assertThat(examples.get(0).labels()).isEqualTo(new float[] {0f, 0f, 1f});
        assertThat(examples.get(1).labels()).isEqualTo(new float[] {1f, 0f, 0f});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkData.fromDataFrame(df, "features", "digit", 3));
        assertThat(e).hasMessageThat().contains("no column \"features\"; its columns are [pixels, digit]");
    }
}
