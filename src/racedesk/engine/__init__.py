"""racedesk.engine"""
