/**
 * Dense networks: {@link org.callbacks4j.model.Sequential} built from
 * {@link org.callbacks4j.model.Sequential#input(int)}, with ND4J activations
 * ({@link org.callbacks4j.model.Activation}) and weight initialisation ({@link org.callbacks4j.model.WeightInit}). All
 * parameters live in one flat float32 vector.
 */
package org.callbacks4j.model;
