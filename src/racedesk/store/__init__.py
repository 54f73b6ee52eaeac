"""racedesk.store"""
