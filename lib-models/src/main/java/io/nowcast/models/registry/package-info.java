/**
 * The model registry workflow on top of {@code io.nowcast.models.tracking}'s REST clients: registering
 * each trained model as a new version with its backtest metrics ({@link io.nowcast.models.registry.ModelRegistrar}),
 * and the promotion gate that moves the {@code production} alias only to a better model
 * ({@link io.nowcast.models.registry.Promoter}, {@link io.nowcast.models.registry.PromotionGate}).
 */
package io.nowcast.models.registry;
