"""The national agency's distribution of refugees: the year's quotas per municipality."""
