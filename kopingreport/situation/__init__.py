"""The lägesbild: the situational picture for the 14-day meeting and the two-yearly plan,
meeting snapshots, exports, the åtgärdsplan, the medborgarlöfte and the public map."""
