/** The LSTM nowcast model (DJL, PyTorch engine): window sampling with Spark, training on the driver, batch inference per partition. */
package io.nowcast.models.lstm;
