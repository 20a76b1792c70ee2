/** Training data: {@link org.callbacks4j.data.Dataset}, float32 features and labels with one row per example. */
package org.callbacks4j.data;
