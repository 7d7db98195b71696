"""Operations simulation: the only package that imports simpy."""
