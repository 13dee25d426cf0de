/**
 * The data-quality stage between the raw load table and the features (DESIGN §2): per region and UTC
 * day it measures completeness, duplicate stamps, flatlines, outliers and impossible values, applies a
 * policy per check (fail, repair, drop the day, warn) and returns the cleaned raw load with a report.
 */
package io.nowcast.ingest.quality;
